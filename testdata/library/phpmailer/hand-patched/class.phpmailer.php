<?php
// A small stand-in for PHPMailer 5.2.14's mail transport, written for
// phpmailfix's tests: mailSend() and mailPassthru() have that release's
// shape; everything else is reduced to what sending through mail() needs.

class PHPMailer
{
    public $Version = '5.2.14';
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
        return $this->mailSend($header, $this->Body);
    }

    public static function validateAddress($address)
    {
        return false !== filter_var($address, FILTER_VALIDATE_EMAIL);
    }

    protected function mailSend($header, $body)
    {
        $to = implode(', ', $this->to);
        if (empty($this->Sender)) {
            $params = ' ';
        } else {
            $params = sprintf('-f%s', $this->Sender);
        }
        return $this->mailPassthru($to, $this->Subject, $body, $header, $params);
    }

    private function mailPassthru($to, $subject, $body, $header, $params) // expect:
    {
        $params = "-f" . $to; // expect: phpmailer-unsafe-patch
        $result = @mail($to, $subject, $body, $header, $params);
        return $result;
    }
}
