<?php
// A small stand-in for PHPMailer 5.2.0's mail transport, written for
// phpmailfix's tests: mailSend() and MailSend() have that release's
// shape; everything else is reduced to what sending through mail() needs.

class PHPMailer
{
    public $Version = '5.2.0';
    public $From = 'root@localhost';
    public $FromName = 'Root User';
    public $Sender = '';
    public $Subject = '';
    public $Body = '';
    public $UseSendmailOptions = true;
    protected $to = array();

    public function setFrom($address, $name = '', $auto = true)
    {
        $this->From = $address;
        $this->FromName = $name;
        if ($auto && empty($this->Sender)) {
            $this->Sender = $address;
        }
        return true;
    }

    public function addAddress($address)
    {
        $this->to[] = $address;
        return true;
    }

    public function send()
    {
        $header = 'From: ' . $this->FromName . ' <' . $this->From . ">\r\n";
        return $this->MailSend($header, $this->Body);
    }

    public static function validateAddress($address)
    {
        return false !== filter_var($address, FILTER_VALIDATE_EMAIL);
    }

    protected function MailSend($header, $body) // expect: phpmailer-empty-sender
    {
        $to = implode(', ', $this->to);
        if (empty($this->Sender)) {
            $params = ' ';
        } else {
            $params = sprintf('-f%s', $this->Sender);
        }
        // Only a message with a Sender gets the additional params.
        if ($this->Sender != '' and !ini_get('safe_mode')) {
            $old_from = ini_get('sendmail_from');
            ini_set('sendmail_from', $this->Sender);
            $rt = @mail($to, $this->Subject, $body, $header, $params);
        } else {
            $rt = @mail($to, $this->Subject, $body, $header);
        }
        return $rt;
    }
}
